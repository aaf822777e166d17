// Finding the resident ID number in OCR text of an ID card front (F3, manual 六(二)4 C): scanner staff
// photograph an elderly person's card and the server reads the 18-character number from it.
//
// - A candidate is 18 characters of [0-9X] on ONE line. OCR sometimes splits the number into groups
//   ("350102 19500307 123X"), so consecutive space-separated groups on a line are joined when together
//   they make exactly 18 characters. A run is never cut in the middle: a 19-character misread is not
//   turned into an 18-character guess.
// - A candidate counts only when it passes GB 11643 (check character and a real birth date), so a misread
//   becomes "not found" rather than somebody else's number.
// - Several different valid numbers are ambiguous: no number is picked, never a possibly wrong person.
import { checkResidentId } from '@bamin/common';

export const ID_NUMBER_LENGTH = 18;

/** The valid ID numbers in the text, normalised (upper-case X), each once, in order of appearance. */
export function idNumberCandidates(text: string): string[] {
  const found = new Set<string>();
  for (const line of String(text ?? '').split(/\r?\n|\r/)) {
    for (const candidate of lineCandidates(line)) {
      const check = checkResidentId(candidate);
      if (check.ok) found.add(check.normalized);
    }
  }
  return [...found];
}

/** The single valid ID number in the text, or null when there is none or more than one. */
export function pickIdNumber(text: string): string | null {
  const candidates = idNumberCandidates(text);
  return candidates.length === 1 ? candidates[0] : null;
}

/** 18-character strings made of whole consecutive [0-9X] groups of one line. */
function lineCandidates(line: string): string[] {
  const candidates: string[] = [];
  for (const run of line.toUpperCase().match(/[0-9X]+(?:[ \t]+[0-9X]+)*/g) ?? []) {
    const groups = run.split(/[ \t]+/);
    for (let start = 0; start < groups.length; start++) {
      let joined = '';
      for (let end = start; end < groups.length && joined.length < ID_NUMBER_LENGTH; end++) {
        joined += groups[end];
        if (joined.length === ID_NUMBER_LENGTH) candidates.push(joined);
      }
    }
  }
  return candidates;
}
