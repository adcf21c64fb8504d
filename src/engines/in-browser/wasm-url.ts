// esbuild's wasm, emitted by Vite as a file of this site: a cross-origin isolated page may only
// load it from its own origin (or from a host that sends CORP headers).
import wasmURL from 'esbuild-wasm/esbuild.wasm?url';

export default wasmURL;
