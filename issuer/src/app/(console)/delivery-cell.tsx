import type { DeliveryState } from "@/server/delivery/delivery-state";
import type { Formatters } from "@/server/web/format";
import type { T } from "./kit";

/** How far an entitlement reached its holder, in words: the bearer form valid now, by phone (offered until, collected, expired; what the wallet said of it) and on paper. */
export function DeliveryCell({ delivery, t, f }: { delivery: DeliveryState; t: T; f: Formatters }) {
  const parts: string[] = [];
  if (delivery.activeForm) parts.push(t(`delivery.forms.${delivery.activeForm}`));
  if (delivery.phone === "collected") parts.push(delivery.phoneAt ? t("delivery.collectedAt", { at: f.dateTime(delivery.phoneAt) }) : t("delivery.collected"));
  if (delivery.phone === "offered") parts.push(t("delivery.offeredUntil", { at: f.dateTime(delivery.phoneAt) }));
  if (delivery.phone === "expired") parts.push(t("delivery.expiredAt", { at: f.dateTime(delivery.phoneAt) }));
  if (delivery.walletEvent) parts.push(t(`cycles.walletEvents.${delivery.walletEvent}`, { defaultValue: delivery.walletEvent }));
  if (delivery.printedAt) parts.push(t("delivery.printedAt", { at: f.date(delivery.printedAt) }));
  return <span data-delivery={delivery.phone ?? (delivery.printedAt ? "printed" : "none")} data-wallet-event={delivery.walletEvent ?? ""} data-active-form={delivery.activeForm ?? ""}>{parts.length ? parts.join(" · ") : t("delivery.none")}</span>;
}
