/**
 * Minimal typings for the `linebreak` package (UAX #14 line breaking, v1.x).
 * Only the part used by the PDF layout engine is declared.
 */
declare module 'linebreak' {
  namespace LineBreaker {
    interface Break {
      /** UTF-16 index where the next line may start. */
      position: number;
      /** True for a mandatory break (after a newline). */
      required: boolean;
    }
  }
  class LineBreaker {
    constructor(text: string);
    nextBreak(): LineBreaker.Break | null;
  }
  export = LineBreaker;
}
