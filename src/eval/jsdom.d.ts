/**
 * The little of jsdom the extraction benchmark uses. jsdom is a dev dependency, measured against
 * linkedom only; its own types (`@types/jsdom`) pull in the browser's lib.dom and a newer
 * undici-types that break the project's Node types, so they are not installed.
 */
declare module "jsdom" {
  export class JSDOM {
    constructor(html: string, options?: { url?: string });
    readonly window: { readonly document: unknown; close(): void };
  }
}
