/** The one error shape, on the wire (HTTP) and across IPC. */
import { z } from 'zod'

export const ERROR_CODES = [
  // server
  'bad_request',
  'validation_failed',
  'unauthorized',
  'invalid_credentials',
  'token_reused',
  'forbidden',
  'not_found',
  'conflict',
  'last_owner',
  'cap_reached',
  'invitation_not_pending',
  'email_mismatch',
  'rate_limited',
  'public_domain',
  'domain_unverified',
  'verification_failed',
  'email_unverified',
  'workspace_name_taken',
  'api_key_expired',
  'api_key_revoked',
  'api_key_not_allowed',
  'payload_too_large',
  'slug_taken',
  'confirmation_mismatch',
  'internal',
  // main process / client side
  'offline',
  'timeout',
  'session_expired',
  'invalid_response',
  'response_too_large',
  'redirect_refused',
  'insecure_http',
  'unknown_account',
  'forbidden_sender',
] as const
export const errorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof errorCodeSchema>

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
})
export type ApiErrorBody = z.infer<typeof apiErrorSchema>

export const errorResponseSchema = z.object({ error: apiErrorSchema })

/** Thrown by server services and by main-side clients; serialisable as ApiErrorBody. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }

  toJSON(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  token_reused: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  last_owner: 409,
  cap_reached: 409,
  invitation_not_pending: 409,
  email_mismatch: 403,
  rate_limited: 429,
  public_domain: 422,
  domain_unverified: 409,
  verification_failed: 422,
  email_unverified: 403,
  workspace_name_taken: 409,
  api_key_expired: 401,
  api_key_revoked: 401,
  api_key_not_allowed: 403,
  payload_too_large: 413,
  slug_taken: 409,
  confirmation_mismatch: 400,
  internal: 500,
  offline: 503,
  timeout: 504,
  session_expired: 401,
  invalid_response: 502,
  response_too_large: 502,
  redirect_refused: 502,
  insecure_http: 400,
  unknown_account: 404,
  forbidden_sender: 403,
}
