// How a code holder (oneself or a family member of GET codes) is named in the pages.
import { FAMILY_RELATION_TEXT, type CodeSummary } from '@bamin/common/appApi';

/** "本人" or "<relation> <masked name>". */
export function whoseText(c: Pick<CodeSummary, 'relation' | 'nameMasked'>): string {
  if (c.relation === 'self') return '本人';
  return `${FAMILY_RELATION_TEXT[c.relation] ?? '家人'} ${c.nameMasked}`;
}
