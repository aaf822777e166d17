// Shapes every API client relies on.

/** One problem in a request or an imported file. `line` is the file's physical line (header = 1)
 *  or, for a JSON array, the record's 1-based position. */
export interface ErrorDetail {
  line?: number;
  field?: string;
  problem: string;
}

/** The body of every error response: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[];
  };
}
