/** The graphical policy editor: form and YAML over one policy value. */
export { PolicyEditorPage } from './PolicyEditorPage.tsx'
export type { SelectorBuilderProps } from './SelectorBuilder.tsx'
export { SelectorBuilder } from './SelectorBuilder.tsx'
