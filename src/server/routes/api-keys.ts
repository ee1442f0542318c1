/** API keys of an organization, and what the presented key is. */
import { z } from 'zod'
import { apiKeyIdentitySchema, apiKeyListSchema, createApiKeyRequestSchema, createdApiKeySchema, routes } from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Router } from '../http'
import { createApiKey, describeKey, isKeyId, listApiKeys, revokeApiKey } from '../services/api-keys'
import type { Ctx } from '../services/context'
import { id, ok, okSchema, org, path } from './params'

const orgKey = z.object({ orgId: id, keyId: id })

export function registerApiKeys(r: Router, ctx: Ctx): void {
  r.route({
    method: 'GET', url: path(routes.apiKeys(':orgId')), tag: 'api-keys', summary: 'API keys of the organization, never their secrets',
    params: org, response: apiKeyListSchema,
    handler: async ({ user, params }) => ({ items: await listApiKeys(ctx, user.id, params.orgId) }),
  })
  // Minting and revoking are a person's acts: a key cannot make or end keys.
  r.route({
    method: 'POST', url: path(routes.apiKeys(':orgId')), tag: 'api-keys', status: 201, apiKeys: false,
    summary: 'Create a key acting with a role no higher than yours (Owner); the secret is in this answer only',
    params: org, body: createApiKeyRequestSchema, response: createdApiKeySchema,
    handler: ({ user, params, body }) => createApiKey(ctx, user.id, params.orgId, body),
  })
  r.route({
    method: 'DELETE', url: path(routes.apiKey(':orgId', ':keyId')), tag: 'api-keys', apiKeys: false, summary: 'Revoke a key (Owner)',
    params: orgKey, response: okSchema,
    handler: async ({ user, params }) => (await revokeApiKey(ctx, user.id, params.orgId, params.keyId), ok),
  })
  r.route({
    method: 'GET', url: path(routes.currentApiKey()), tag: 'api-keys', apiKeys: true,
    summary: 'The presented API key: name, prefix, organization, role and expiry', response: apiKeyIdentitySchema,
    handler: ({ user }) => {
      if (!isKeyId(user.id)) throw new AppError('bad_request', 'Present an API key (oak_…) to describe it')
      return describeKey(ctx, user.id)
    },
  })
}
