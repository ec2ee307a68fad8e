import type { ReactNode } from "react";
import { pageI18n } from "@/server/web/page-session";
import "./globals.css";

export const metadata = { title: "Haki issuer" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, dir } = await pageI18n();
  return (
    <html lang={locale} dir={dir}>
      <body>{children}</body>
    </html>
  );
}
