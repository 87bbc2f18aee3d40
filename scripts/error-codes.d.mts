// Types of error-codes.mjs, for the test that imports it (packages/ops/test/architecture).

export declare const PAGE: string;

export interface Exceptions {
  /** Class name → its file: classes that extend `Error` directly on purpose. */
  readonly notCharmkitError: Readonly<Record<string, string>>;
  /** Class name → the rules it does not meet yet. */
  readonly pending: Readonly<Record<string, readonly ('remedy' | 'typed' | 'thrown')[]>>;
}

export declare const EXCEPTIONS: Exceptions;

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface PackageSources {
  readonly shortName: string;
  readonly name: string;
  readonly dir: string;
  /** Export subpath → source file. */
  readonly entries: Readonly<Record<string, string>>;
  readonly files: readonly SourceFile[];
}

export interface ErrorEntry {
  readonly name: string;
  readonly code: string;
  readonly file: string;
  readonly chain: readonly string[];
  readonly summary: string;
  readonly remedy: string;
  /** The entry point that exports the class, or null when it is internal. */
  readonly importFrom: string | null;
}

export interface ErrorReference {
  readonly sections: readonly {
    readonly package: PackageSources;
    readonly union: string | null;
    readonly entries: readonly ErrorEntry[];
  }[];
  /** Every broken rule, one line each. */
  readonly problems: readonly string[];
}

export declare function unionName(shortName: string): string;
export declare function readPackages(root: string): PackageSources[];
export declare function buildModel(
  packages: readonly PackageSources[],
  exceptions?: Exceptions,
): ErrorReference;
export declare function renderErrorReference(model: ErrorReference): string;
export declare function run(
  root: string,
  options?: { check?: boolean; log?: (line: string) => void; error?: (line: string) => void },
): number;
