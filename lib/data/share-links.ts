// Public read-only links to a build or comparison report. The link shows a frozen
// snapshot of the report taken at creation; only the SHA-256 of its token is stored, so a
// lost link cannot be shown again (make a new one) and a leaked database reveals none.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createSecret, hashSecret } from "@/lib/auth/tokens";
import { getReport } from "@/lib/data/reports";
import { readReportSnapshot } from "@/lib/reports/render-json";
import { getSharePath } from "@/lib/reports/report-paths";
import type { Report, ReportKind } from "@/lib/reports/build-report";
import { DEFAULT_SHARE_DAYS, type CreateShareLinkInput } from "@/lib/validations/share";

export type ShareLinkDto = {
  id: string;
  kind: ReportKind;
  buildId: string | null;
  comparisonId: string | null;
  title: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
};

export type CreatedShareLink = ShareLinkDto & { token: string; path: string };

export type SharedReport = { report: Report; title: string; createdAt: string; expiresAt: string | null };

const DAY_MS = 24 * 60 * 60 * 1000;

type ShareLinkRow = {
  id: string;
  kind: string;
  buildId: string | null;
  comparisonId: string | null;
  title: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

const isActive = (row: Pick<ShareLinkRow, "expiresAt" | "revokedAt">, now = new Date()) => !row.revokedAt && (!row.expiresAt || row.expiresAt > now);

const toDto = (row: ShareLinkRow): ShareLinkDto => ({
  id: row.id,
  kind: row.kind as ReportKind,
  buildId: row.buildId,
  comparisonId: row.comparisonId,
  title: row.title,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  active: isActive(row),
});

export const createShareLink = async (input: CreateShareLinkInput): Promise<CreatedShareLink> => {
  const report = input.kind === "build" ? await getReport("build", input.buildId) : await getReport("comparison", input.comparisonId);
  const token = createSecret("lbr");
  const row = await db.shareLink.create({
    data: {
      tokenHash: hashSecret(token),
      kind: input.kind,
      buildId: input.kind === "build" ? input.buildId : null,
      comparisonId: input.kind === "comparison" ? input.comparisonId : null,
      title: report.title,
      // a plain JSON copy: the snapshot must never follow later changes
      snapshot: JSON.parse(JSON.stringify(report)),
      // Omitted: the default expiry; null: never.
      expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + (input.expiresInDays ?? DEFAULT_SHARE_DAYS) * DAY_MS),
    },
  });
  return { ...toDto(row), token, path: getSharePath(token) };
};

export const findShareLinks = async (filter: { buildId?: string; comparisonId?: string }): Promise<ShareLinkDto[]> => {
  if (!filter.buildId && !filter.comparisonId) throw new AppError("VALIDATION", "give a build or a comparison");
  const rows = await db.shareLink.findMany({
    where: filter.buildId ? { kind: "build", buildId: filter.buildId } : { kind: "comparison", comparisonId: filter.comparisonId },
    orderBy: { createdAt: "desc" },
    select: { id: true, kind: true, buildId: true, comparisonId: true, title: true, createdAt: true, expiresAt: true, revokedAt: true },
  });
  return rows.map(toDto);
};

export const revokeShareLink = async (id: string): Promise<ShareLinkDto> => {
  const updated = await db.shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!updated.count) throw new AppError("NOT_FOUND", `share link ${id} not found or already revoked`);
  const row = await db.shareLink.findUniqueOrThrow({ where: { id } });
  return toDto(row);
};

// One answer for unknown, revoked and expired links, so a probe learns nothing.
export const getSharedReport = async (token: string): Promise<SharedReport> => {
  const row = await db.shareLink.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || !isActive(row)) throw new AppError("NOT_FOUND", "this report link does not exist, was revoked or has expired");
  return {
    report: readReportSnapshot(row.snapshot),
    title: row.title,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
};
