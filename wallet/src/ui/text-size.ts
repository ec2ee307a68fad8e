/**
 * The person's text size, on top of the phone's own setting (sizes are in rem, so everything grows
 * with it). Kept in localStorage like the language: not secret, and needed before any PIN is typed.
 */
import { LOCAL_KEY } from "../storage/keys";

export const TEXT_SIZES = { normal: "100%", large: "125%", larger: "150%" } as const;
export type TextSize = keyof typeof TEXT_SIZES;

/** The saved size, else normal. */
export function initialTextSize(): TextSize {
  try {
    const saved = localStorage.getItem(LOCAL_KEY.textSize);
    if (saved && saved in TEXT_SIZES) return saved as TextSize;
  } catch {
    // Storage blocked: normal size.
  }
  return "normal";
}

/** Applies a size to the page and remembers it. */
export function applyTextSize(size: TextSize): void {
  document.documentElement.style.fontSize = TEXT_SIZES[size];
  try {
    localStorage.setItem(LOCAL_KEY.textSize, size);
  } catch {
    // Not fatal: the choice is just not remembered.
  }
}
