/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
import { z } from 'zod'
import { errorResponseSchema } from '../shared/errors'
import type { RegisteredRoute } from './http'

const json = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
})

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
        default: { description: 'Error', content: json(errorResponseSchema, 'output') },
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
        'Inviting an address in a trusted domain adds an existing account at once; other addresses get a 48-hour invitation.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  }
}
