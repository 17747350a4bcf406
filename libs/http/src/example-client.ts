/**
 * The client the documented examples are written for (the README mints its tokens for it): an
 * example that names the caller's own client, as the owner of an object, uses this id.
 */
export const EXAMPLE_CLIENT_ID = 'mis-1';
