// The components chapter authors can use in MDX without importing them: chapter pages pass this
// map to <Content components={…} />. Add a new author component here and in CONTRIBUTING.md.
import Callout from './Callout.astro';
import Steps from './Steps.astro';
import KnowledgeCheck from './KnowledgeCheck.astro';
import FacilitatorNotes from './FacilitatorNotes.astro';
import PlatformPanel from '../platform/PlatformPanel.astro';

export const mdxComponents = { Callout, Steps, KnowledgeCheck, FacilitatorNotes, PlatformPanel };
