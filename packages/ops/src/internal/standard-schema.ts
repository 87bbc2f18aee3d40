// The Standard Schema v1 interface (https://standardschema.dev), written out here so that
// accepting a user's schema costs no runtime import: zod 4 (full and mini), valibot and arktype
// all implement it. Only the parts charmkit reads are declared.

/** A path segment of a {@link StandardSchemaIssue}: a key, or an object holding one. */
export type StandardPathSegment = PropertyKey | { readonly key: PropertyKey };

/** One problem a Standard Schema found. Libraries may add fields (zod adds `code`, `expected`…). */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly StandardPathSegment[] | undefined;
}

/** The result of a Standard Schema's `validate`. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

/**
 * Any schema that implements Standard Schema v1: a zod 4 schema (`zod` or `zod/mini`), a valibot
 * or arktype schema. `Output` is what a successful validation returns.
 */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The type a {@link StandardSchema} validates to. */
export type StandardOutput<S extends StandardSchema> = NonNullable<S['~standard']['types']>['output'];
