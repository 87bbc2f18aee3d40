import { z } from 'zod';
import { jsonField } from '../shared/index.js';

/** One alert rule, as Prometheus (and Loki's ruler) read it. */
export const AlertRuleSchema = z.looseObject({
  alert: z.string(),
  expr: z.string(),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A rule file: named groups of rules. */
export const AlertRulesSchema = z.object({
  groups: z.array(z.looseObject({ name: z.string(), rules: z.array(AlertRuleSchema) })),
});
export type AlertRules = z.infer<typeof AlertRulesSchema>;

/** One static target group of a scrape job. */
export const StaticConfigSchema = z.looseObject({
  targets: z.array(z.string()),
  labels: z.record(z.string(), z.string()).optional(),
});

/**
 * One Prometheus scrape job. Targets `*:<port>` mean "every unit of the application" (the
 * consumer expands them to each unit's address); other keys are Prometheus' own and pass through.
 */
export const ScrapeJobSchema = z.looseObject({
  job_name: z.string().optional(),
  metrics_path: z.string().optional(),
  static_configs: z.array(StaticConfigSchema),
});
export type ScrapeJob = z.infer<typeof ScrapeJobSchema>;

/**
 * `schema`'s checks on a JSON object, but the object passed through with its keys in their own
 * order (zod would put the schema's keys first): jobs and rules then reach the wire in the order
 * the charm wrote them, as the Python library sends them.
 */
function keepingKeyOrder<S extends z.ZodType>(schema: S) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    }
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}

/** `cosl.JujuTopology.as_dict()`: who the metrics come from. */
export const ScrapeMetadataSchema = z.looseObject({
  model: z.string(),
  model_uuid: z.string(),
  application: z.string(),
  unit: z.string().optional(),
  charm_name: z.string().optional(),
});
export type ScrapeMetadata = z.infer<typeof ScrapeMetadataSchema>;

/**
 * The provider's (the scraped charm's) application databag, JSON in each key, as prometheus-k8s'
 * `MetricsEndpointProvider` writes it.
 */
export const ScrapeProviderAppSchema = z.object({
  scrape_metadata: jsonField(ScrapeMetadataSchema),
  scrape_jobs: jsonField(z.array(keepingKeyOrder(ScrapeJobSchema))),
  alert_rules: jsonField(keepingKeyOrder(z.union([AlertRulesSchema, z.strictObject({})]))).optional(),
});
export type ScrapeProviderApp = z.infer<typeof ScrapeProviderAppSchema>;

/** The provider's unit databag: bare strings (not JSON), where to reach this unit's metrics. */
export const ScrapeProviderUnitSchema = z.object({
  prometheus_scrape_unit_address: z.string(),
  prometheus_scrape_unit_name: z.string(),
  prometheus_scrape_unit_path: z.string().optional(),
  prometheus_scrape_unit_fqdn: z.string().optional(),
});
export type ScrapeProviderUnit = z.infer<typeof ScrapeProviderUnitSchema>;
