import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import { TimeZoneProvider } from "@/components/time/time-zone";
import { getDisplayZone } from "@/lib/time/zone";
import "./globals.css";

// Self-hosted from npm packages: next/font/google cannot download on an offline machine.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});
const jetbrains = localFont({
  src: "../node_modules/@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2",
  variable: "--font-jetbrains",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Backout", template: "%s · Backout" },
  description: "Incident response and rollback control room",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Decided on the server so the first render already shows the viewer's zone (lib/time/zone.ts).
  const zone = await getDisplayZone();
  return (
    <html lang="en" className={`${inter.variable} ${jetbrains.variable}`}>
      <body className="min-h-dvh font-sans antialiased">
        <TimeZoneProvider value={zone}>{children}</TimeZoneProvider>
      </body>
    </html>
  );
}
