// Lets plain `tsc` (npm run typecheck) accept imports of .astro files from .ts files; `astro check`
// and the editor's Astro language server resolve them with full types and ignore this fallback.
declare module '*.astro' {
  const Component: (props: Record<string, unknown>) => unknown;
  export default Component;
}
