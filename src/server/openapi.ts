/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
import { z } from 'zod'
import { errorResponseSchema } from '../shared/errors'
import type { RegisteredRoute } from './http'

const json = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
})

/** A stable, unique id from method and path: GET /v1/orgs/:orgId/members → getOrgsByOrgIdMembers. */
export const operationId = (r: Pick<RegisteredRoute, 'method' | 'url'>): string =>
  r.method.toLowerCase() +
  r.url
    .split('/')
    .filter((part) => part && part !== 'v1')
    .map((part) => (part.startsWith(':') ? `By${part[1]!.toUpperCase()}${part.slice(2)}` : part))
    .map((part) => part.replace(/(^|[-.])(\w)/g, (_m, _sep, c: string) => c.toUpperCase()))
    .join('')

const errorResponse = (description: string) => ({ description, content: json(errorResponseSchema, 'output') })

/** The 4xx answers a route can give, from what it declares (auth, path parameters, body, rate limit). */
function errorResponses(r: RegisteredRoute) {
  return {
    '400': errorResponse('Invalid input (validation_failed, bad_request)'),
    ...(r.auth === false ? {} : { '401': errorResponse('Missing, expired or revoked access token') }),
    ...(r.url.includes(':') ? { '404': errorResponse('Unknown here, or not visible to you') } : {}),
    ...(r.auth === false ? {} : { '403': errorResponse('Your role does not allow this') }),
    ...(r.method !== 'GET' ? { '409': errorResponse('A rule refused the change (last_owner, cap_reached, conflict, …)') } : {}),
    ...(r.rateLimited ? { '429': errorResponse('Too many attempts (rate_limited); retry after details.retryAfterSeconds') } : {}),
  }
}

export function openApiDocument(routes: RegisteredRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    const oaPath = r.url.replace(/:(\w+)/g, '{$1}')
    const params = [...r.url.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
    const query = r.query
      ? Object.entries((z.toJSONSchema(r.query, { io: 'input' }) as { properties?: Record<string, unknown> }).properties ?? {}).map(
          ([name, schema]) => ({ name, in: 'query', required: false, schema }),
        )
      : []
    paths[oaPath] ??= {}
    paths[oaPath][r.method.toLowerCase()] = {
      operationId: operationId(r),
      summary: r.summary,
      tags: [r.tag],
      security: r.auth === false ? [] : [{ bearer: [] }],
      parameters: [...params, ...query],
      ...(r.body ? { requestBody: { required: true, content: json(r.body, 'input') } } : {}),
      responses: {
        [String(r.status ?? (r.response ? 200 : 204))]: {
          description: 'Success',
          ...(r.response ? { content: json(r.response, 'output') } : {}),
        },
        ...errorResponses(r),
        default: errorResponse('Error'),
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Organization server',
      version: '1.0.0',
      description:
        'Organizations, members, roles, invitations, trusted domains, workspaces, activity and billing. ' +
        'Every invitation lasts 48 hours and is emailed; nobody joins without accepting. Trusted domains count once verified (DNS TXT) and only for verified addresses.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  }
}
