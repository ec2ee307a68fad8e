/** Codes of paper-card failures. */
export type PaperCardErrorCode = "ERR_CARD_INVALID" | "ERR_GLYPH_MISSING" | "ERR_QR_TOO_LARGE";

/**
 * Base of paper-card errors; `code` is stable, the message is plain words for the programme office.
 * @example
 * try { await renderCardsPdf(cards); } catch (e) { if (e instanceof PaperCardError) log(e.code); }
 */
export class PaperCardError extends Error {
  constructor(
    readonly code: PaperCardErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "PaperCardError";
  }
}

/** A card's data is missing or malformed. */
export class CardInvalidError extends PaperCardError {
  constructor(detail: string, options: { cause?: unknown } = {}) {
    super("ERR_CARD_INVALID", `A card could not be printed: ${detail}`, options);
  }
}

/** A character no bundled font can draw (printing a blank box on a benefit card would mislead). */
export class MissingGlyphError extends PaperCardError {
  constructor(readonly character: string) {
    const cp = character.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    super("ERR_GLYPH_MISSING", `The character "${character}" (U+${cp}) cannot be printed with the bundled fonts.`);
  }
}

/** The QR payload is too long for a QR code at the chosen error correction. */
export class QrTooLargeError extends PaperCardError {
  constructor(options: { cause?: unknown } = {}) {
    super("ERR_QR_TOO_LARGE", "The card's QR content is too long to fit in a QR code.", options);
  }
}
