/**
 * The bilingual names of the domain's codes live in `domain/labels.ts`, where the web console
 * imports them too; the emails and review pages keep importing them from here.
 */
export * from '../../domain/labels.ts';
