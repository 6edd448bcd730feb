// A session's project as the sessions list shows it: the last folder of the path the tool reported
// ("/home/dev/observer" -> "observer"); the full path stays in the tooltip.

export function projectName(project: string): string {
  return project.split(/[\\/]/).filter(Boolean).at(-1) ?? project;
}
