/** Accessors that parse a header's value, common to requests and responses. */
export declare const HEADER_ACCESSORS: readonly string[];
/** The cheap reads a transaction layer makes (top Via and its branch, the tags). */
export declare const QUICK_ACCESSORS: readonly string[];
