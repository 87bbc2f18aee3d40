// LZMA-JS ships no types; only its worker file (which its index.js loads through a computed
// path that bundlers cannot follow) and the two synchronous calls this package uses are declared.
declare module 'lzma/src/lzma_worker.js' {
  interface LzmaCodec {
    /** `.lzma` ("alone") container bytes, as signed bytes. */
    compress(input: string | Uint8Array, mode?: number): number[];
    /** The text back (or bytes when the input was not UTF-8). */
    decompress(input: Uint8Array | number[]): string | number[];
  }
  const worker: { LZMA: LzmaCodec };
  export default worker;
}
