/**
 * Which errors mean a dependency cannot answer for now (a lost database connection, a timeout):
 * the shared filter answers them 503 `service_unavailable` with `Retry-After`, never a 500. The
 * library that owns the dependency provides this (the database library does, for its driver's
 * errors); without one, no error counts as such.
 */
export abstract class UnavailableErrors {
  abstract isUnavailable(error: unknown): boolean;
}
