// @ts-check
/**
 * The console's calls to its server: JSON under /console/api/, with the session cookie (sent by
 * the browser, unreadable here) and, on every state-changing call, the session's CSRF token.
 */

/** The CSRF token of the session, read from /console/api/session after sign-in. */
let csrfToken = '';

/** @param {string} token */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** A refusal from the server: EC2's code and wording for EC2 errors, the console's for its own. */
export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * GETs a console API path with query parameters; resolves with the parsed JSON.
 * @param {string} path @param {Record<string, string>} [params]
 */
export async function getJson(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  return answer(await fetch(`/console/api/${path}${query === '' ? '' : `?${query}`}`, { credentials: 'same-origin' }));
}

/**
 * POSTs JSON to a console API path, carrying the CSRF token; resolves with the parsed JSON.
 * @param {string} path @param {Record<string, unknown>} body
 */
export async function postJson(path, body) {
  return answer(
    await fetch(`/console/api/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
      body: JSON.stringify(body),
    }),
  );
}

/** @param {Response} response */
async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body && body.error ? body.error : { code: String(response.status), message: response.statusText };
    throw new ApiError(response.status, error.code, error.message);
  }
  return body;
}
