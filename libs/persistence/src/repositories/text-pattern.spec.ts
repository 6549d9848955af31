import { textPatternFilter } from './text-pattern';

describe('textPatternFilter', () => {
  it('escapes % _ and \\ wherever the filter becomes a LIKE or an ILIKE', () => {
    expect(textPatternFilter({ match: 'contains', text: '100%_a\\', caseInsensitive: false })).toEqual({ contains: '100\\%\\_a\\\\' });
    expect(textPatternFilter({ match: 'startsWith', text: 'a_', caseInsensitive: true })).toEqual({ startsWith: 'a\\_', mode: 'insensitive' });
    // an equals that ignores case is an ILIKE: escaped too
    expect(textPatternFilter({ match: 'equals', text: 'site_1', caseInsensitive: true })).toEqual({ equals: 'site\\_1', mode: 'insensitive' });
    // a case-sensitive equals is a plain =
    expect(textPatternFilter({ match: 'equals', text: 'site_1', caseInsensitive: false })).toEqual({ equals: 'site_1' });
  });
});
