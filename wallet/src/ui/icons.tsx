/** Small inline SVG icons (no icon font, nothing fetched). They sit next to words, never replace them. */
import type { ComponentChildren, JSX } from "preact";

const paths = {
  card: "M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zm0 4h18",
  qr: "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 14h2v2h-2zM14 18h2v2h-2zM18 18h2v2h-2zM16 16h2v2h-2z",
  camera: "M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1zm8 3a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z",
  plus: "M12 5v14M5 12h14",
  lock: "M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3",
  person: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
  save: "M12 4v11m0 0-4-4m4 4 4-4M5 19h14",
  open: "M12 15V4m0 0L8 8m4-4 4 4M5 19h14",
  globe: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c2.5 2.5 3.5 6 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-6-3.5-9s1-6.5 3.5-9z",
  check: "M5 12.5l4.5 4.5L19 7.5",
  pause: "M8 5v14M16 5v14",
  cross: "M6 6l12 12M18 6 6 18",
  clock: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 4v5l3 2",
  warn: "M12 3 2 20h20zm0 6v5m0 3v.5",
  refresh: "M20 6v5h-5M4 18v-5h5M6.5 9a7 7 0 0 1 12-1.5L20 11M4 13l1.5 3.5a7 7 0 0 0 12 -1.5",
  cash: "M3 7h18v10H3zM12 9.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z",
  basket: "M4 10h16l-2 10H6zM8 10l4-6 4 6",
  ticket: "M4 7h16v3a2 2 0 0 0 0 4v3H4v-3a2 2 0 0 0 0-4z",
  pin: "M12 21s-6-5.5-6-11a6 6 0 0 1 12 0c0 5.5-6 11-6 11zm0-13a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
  offline: "M3 3l18 18M8.5 16.5a5 5 0 0 1 7 0M5 13a10 10 0 0 1 5-2.7M19 13a10 10 0 0 0-2.5-1.8M2 9.5a15 15 0 0 1 4-2.4M22 9.5A15 15 0 0 0 11 5M12 20h.01",
  history: "M4 12a8 8 0 1 0 2.3-5.7L4 8.5M4 4v4.5h4.5M12 8v4l3 2",
  back: "M15 5l-7 7 7 7",
  erase: "M9 6h11v12H9l-6-6zM12 9.5l5 5M17 9.5l-5 5",
  gear: "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1",
  speaker: "M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11",
} as const;

export type IconName = keyof typeof paths;

/** An icon; `flip` mirrors direction-bearing icons (back arrow) in right-to-left languages. */
export function Icon(props: { name: IconName; size?: string; class?: string; flip?: boolean }): JSX.Element {
  return (
    <svg
      class={`icon ${props.flip ? "flip-rtl" : ""} ${props.class ?? ""}`}
      viewBox="0 0 24 24"
      width={props.size ?? "1.5em"}
      height={props.size ?? "1.5em"}
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[props.name]} />
    </svg>
  );
}

/**
 * The wallet's large button: its icon next to its words, `primary` for the screen's main action.
 *
 * @example
 * <BigButton icon="lock" onClick={props.onChangePin}>{t("pin.change")}</BigButton>
 */
export function BigButton(props: { icon: IconName; primary?: boolean; onClick: () => void; disabled?: boolean; testId?: string; children: ComponentChildren }): JSX.Element {
  return (
    <button type="button" class={props.primary ? "big primary" : "big"} data-testid={props.testId} disabled={props.disabled} onClick={props.onClick}>
      <Icon name={props.icon} /> {props.children}
    </button>
  );
}
