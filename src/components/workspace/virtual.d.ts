// Provided by build/editor-bundle.mjs: URLs of the separately built editor bundle.
declare module 'virtual:leakproof-editor' {
  const manifest: {
    script: string;
    preload: string[];
    css: string | null;
    workers: { editor: string };
  };
  export default manifest;
}
