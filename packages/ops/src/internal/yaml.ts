// The YAML parser, behind a module of our own so that it can be imported lazily (`await
// import('./internal/yaml.js')`) and still have named exports once bundled: the `yaml` package is
// CommonJS, and a bundled dynamic import of CommonJS only has a default export.
export { parse as parseYaml } from 'yaml';
