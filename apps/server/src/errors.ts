import { ApiErrorCodes, type ErrorBody, type ErrorItem } from '@policyboard/api'
import type { FastifyError, FastifyInstance } from 'fastify'
import { StoreError, ValidationFailure } from './store/index.ts'

export { ValidationFailure } from './store/errors.ts'

/** Error body helper. */
export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  extra: Partial<ErrorBody> = {},
): ErrorBody {
  return { statusCode, code, message, ...extra }
}

interface AjvError {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

/** `/spec/ingress/0/action` → `spec.ingress[0].action`. */
function fieldPath(pointer: string, extra?: string): string {
  // `/a//b` has an empty key between a and b: keep it, so no path comes out empty.
  const parts = pointer === '' ? [] : pointer.slice(1).split('/')
  if (extra !== undefined) parts.push(extra)
  let out = ''
  for (const p of parts) {
    const key = p.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^[0-9]+$/.test(key)) out += `[${key}]`
    else if (!/^[\w@-]+$/.test(key)) out += `['${key}']`
    else out += out ? `.${key}` : key
  }
  return out
}

function ajvToItem(e: AjvError, context: string | undefined): ErrorItem {
  const prefix = context && context !== 'body' ? `${context}.` : ''
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty)
      return {
        code: 'UNKNOWN_FIELD',
        message: `unknown field '${field}'`,
        path: prefix + fieldPath(e.instancePath, field),
      }
    }
    case 'required': {
      const field = String(e.params.missingProperty)
      return {
        code: 'REQUIRED_FIELD',
        message: `expected field '${field}'`,
        path: prefix + fieldPath(e.instancePath, field),
      }
    }
    case 'type':
      return {
        code: 'INVALID_TYPE',
        message: `expected ${String(e.params.type)}`,
        path: prefix + fieldPath(e.instancePath),
      }
    default:
      return {
        code: 'INVALID_VALUE',
        message: `expected a value that ${e.message ?? 'is valid'}`,
        path: prefix + fieldPath(e.instancePath),
      }
  }
}

/**
 * Maps every error to its response in one place: validation → 400 with paths, store
 * refusals → their status, 4xx from Fastify → their status, anything else → a 500 whose body
 * says only "Internal Server Error" while the log gets the error and the request.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ValidationFailure) {
      return reply
        .status(400)
        .send(errorBody(400, ApiErrorCodes.VALIDATION, err.message, { errors: err.errors }))
    }
    if (err instanceof StoreError) {
      return reply.status(err.statusCode).send(
        errorBody(err.statusCode, err.code, err.message, {
          ...(err.currentResourceVersion !== undefined
            ? { currentResourceVersion: err.currentResourceVersion }
            : {}),
        }),
      )
    }
    if (err.validation) {
      const errors = (err.validation as AjvError[]).map((e) => ajvToItem(e, err.validationContext))
      return reply
        .status(400)
        .send(
          errorBody(
            400,
            ApiErrorCodes.VALIDATION,
            `invalid request ${err.validationContext ?? ''}`.trim(),
            { errors },
          ),
        )
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const code =
        status === 413
          ? ApiErrorCodes.PAYLOAD_TOO_LARGE
          : status === 415
            ? ApiErrorCodes.UNSUPPORTED_MEDIA_TYPE
            : status === 404
              ? ApiErrorCodes.NOT_FOUND
              : (err.code ?? ApiErrorCodes.VALIDATION)
      return reply.status(status).send(errorBody(status, code, err.message.toLowerCase()))
    }
    request.log.error({ err, req: request }, 'request failed')
    return reply.status(500).send(errorBody(500, ApiErrorCodes.INTERNAL, 'Internal Server Error'))
  })
}
