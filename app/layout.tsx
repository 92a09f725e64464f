import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Layerboard", template: "%s · Layerboard" },
  description: "Container image builds: size, layers and whether the image runs, per build variant.",
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
