// `relation-set --file -` and `state-set --file -` read YAML (Go yaml.v2). JSON is YAML, but not
// every JSON text reads back the same: YAML folds raw line-break characters (U+0085, U+2028,
// U+2029) inside a quoted scalar into spaces, and rejects raw DEL, C1 controls and U+FFFE/U+FFFF.
// JSON.stringify leaves those raw, so they are escaped here as `\uXXXX`, which both JSON and YAML
// double-quoted strings decode exactly.

const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** JSON text for a map of strings that YAML 1.1 and JSON parsers both read back exactly. */
export function yamlSafeJson(data: Readonly<Record<string, string>>): string {
  return JSON.stringify(data).replace(
    YAML_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * True if `text` holds half of a surrogate pair: such a string has no UTF-8 form, so no tool could
 * receive it unchanged (Go would reject it or replace it with U+FFFD).
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
