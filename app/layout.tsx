import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Layerboard", template: "%s · Layerboard" },
  description: "Container image builds: size, layers and whether the image runs, per build variant.",
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, every page and the 404 too: Next.js puts the response's CSP nonce
  // (proxy.ts) on its scripts while rendering, and a page prerendered at build time has none.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
