import { describe, expect, it } from 'vitest';
import { projectName } from './project-name';

describe('projectName', () => {
  it('keeps the last folder of a POSIX or Windows path, and a bare name as it is', () => {
    expect(projectName('/home/dev/observer')).toBe('observer');
    expect(projectName('/home/dev/observer/')).toBe('observer');
    expect(projectName('C:\\Users\\dev\\observer')).toBe('observer');
    expect(projectName('observer')).toBe('observer');
    expect(projectName('/')).toBe('/');
  });
});
