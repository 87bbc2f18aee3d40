import { z } from 'zod';
import { jsonField } from '../shared/index.js';

/** One dashboard as sent: its JSON, LZMA-compressed and base64 (`content`), with who sent it. */
export const DashboardTemplateSchema = z.looseObject({
  charm: z.string().optional(),
  content: z.string().min(1),
  juju_topology: z.record(z.string(), z.string()).optional(),
  inject_dropdowns: z.boolean().optional(),
  dashboard_alt_uid: z.string().optional(),
});
export type DashboardTemplate = z.infer<typeof DashboardTemplateSchema>;

/**
 * The dashboard provider's application databag, as grafana-k8s' `GrafanaDashboardProvider`
 * writes it: `dashboards` is JSON `{"templates": {<id>: <template>}, "uuid": <uuid4>}` (the uuid
 * only makes Juju see a change).
 */
export const DashboardProviderAppSchema = z.object({
  dashboards: jsonField(
    z.looseObject({ templates: z.record(z.string(), DashboardTemplateSchema), uuid: z.string().optional() }),
  ),
});
export type DashboardProviderApp = z.infer<typeof DashboardProviderAppSchema>;

/** What Grafana writes back into its own application bag when a dashboard cannot be used. */
export const DashboardConsumerAppSchema = z.object({
  event: jsonField(
    z.looseObject({
      valid: z.boolean().optional(),
      errors: z.array(z.looseObject({ dashboard_id: z.string().optional(), error: z.string() })).optional(),
    }),
  ).optional(),
});
export type DashboardConsumerApp = z.infer<typeof DashboardConsumerAppSchema>;
