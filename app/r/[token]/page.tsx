// Public, read-only report behind a share link: no sign-in, no navigation, the frozen
// snapshot only. Unknown, revoked and expired links are all a plain 404.
import { cache } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getSharedReport } from "@/lib/data/share-links";
import { nullIfNotFound } from "@/lib/data/not-found";
import { formatDateTime } from "@/lib/format/date";
import { shareTokenSchema } from "@/lib/validations/share";
import { ReportView } from "@/components/reports/report-view";
import { PrintButton } from "@/components/reports/print-button";
import { isDatabaseAnswering } from "@/lib/data/database-probe";
import { DATABASE_UNAVAILABLE_TITLE, DatabaseUnavailable } from "@/components/ui/database-unavailable";

export const dynamic = "force-dynamic";

type PageProps = { params: Promise<{ token: string }> };

const findSharedReport = cache(async (token: string) => {
  if (!shareTokenSchema.safeParse(token).success) return null;
  if (!(await isDatabaseAnswering())) return "unavailable" as const;
  return nullIfNotFound(getSharedReport(token));
});

// The token is the only secret: keep the page out of indexes and out of Referer headers.
export const generateMetadata = async ({ params }: PageProps): Promise<Metadata> => {
  const shared = await findSharedReport((await params).token);
  if (shared === "unavailable") return { title: DATABASE_UNAVAILABLE_TITLE, robots: { index: false, follow: false }, referrer: "no-referrer" };
  return { title: shared ? shared.title : "This report is no longer shared", robots: { index: false, follow: false }, referrer: "no-referrer" };
};

const buttonClass =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export default async function SharedReportPage({ params }: PageProps) {
  const { token } = await params;
  const shared = await findSharedReport(token);
  if (!shared) notFound();
  if (shared === "unavailable") return <DatabaseUnavailable />;
  const { report } = shared;
  const download = (format: string, extra = "") => `/r/${token}/report?format=${format}${extra}&download=1`;
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-4 py-6 print:max-w-none print:px-0">
      <header className="space-y-2">
        <p className="text-sm font-semibold tracking-tight">
          Layer<span className="text-indigo-600 dark:text-indigo-400">board</span>
          <span className="ml-2 font-normal text-slate-500">shared {report.kind} report</span>
        </p>
        <h1 className="text-2xl font-semibold break-words">{report.title}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="snapshot-note">
          Snapshot taken at <time dateTime={shared.createdAt}>{formatDateTime(shared.createdAt)}</time>: builds after that are not included.
          {shared.expiresAt && (
            <>
              {" "}
              This link expires at <time dateTime={shared.expiresAt}>{formatDateTime(shared.expiresAt)}</time>.
            </>
          )}
        </p>
        <nav aria-label="Downloads" className="no-print flex flex-wrap gap-2 pt-1">
          <PrintButton className={buttonClass} />
          <a className={buttonClass} href={download("md")} rel="noreferrer">
            Markdown
          </a>
          <a className={buttonClass} href={download("json")} rel="noreferrer">
            JSON
          </a>
          <a className={buttonClass} href={download("csv")} rel="noreferrer">
            CSV
          </a>
          <a className={buttonClass} href={download("csv", "&rows=layers")} rel="noreferrer">
            CSV (layers)
          </a>
        </nav>
      </header>
      <ReportView report={report} />
      <footer className="text-xs text-slate-500">
        Project {report.project.name} · report generated {formatDateTime(report.generatedAt)} · schema v{report.schemaVersion}
      </footer>
    </main>
  );
}
