// Text people type, as the forms and the CSV import check it.

/** Characters that have no place in a name or a note (C0 controls other than tab and line breaks, and DEL). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these characters is the point.
export const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
