/** One failing input of a `validation_failed` error, in the contract's shape (SPEC section 3). */
export type EntryType = 'json_data_property' | 'query_parameter' | 'header' | 'request';

export type RuleParams = unknown[] | Record<string, unknown>;

export interface InvalidRule {
  rule: string;
  params?: RuleParams;
  description?: string;
}

export interface InvalidEntry {
  entry_type: EntryType;
  entry?: string;
  rules: InvalidRule[];
}

/** The body of an error response (`error` in the envelope) and of a failed job's stored error. */
export interface ErrorBody {
  type: string;
  message: string;
  invalid?: InvalidEntry[];
}
