// The package exports this subpath, but the repository's `moduleResolution: node` cannot see package exports.
declare module 'minisearch/SearchableMap' {
  export { default } from 'minisearch/dist/es/SearchableMap';
}
