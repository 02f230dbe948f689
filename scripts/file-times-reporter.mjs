// A node:test reporter that writes how long each test file's tests took, as JSON ({ file: ms }):
// `npm test` starts the longest files first next time, so no long file starts last.
export default async function* fileTimes(source) {
  const perFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      perFile[event.data.file] = (perFile[event.data.file] ?? 0) + (event.data.details?.duration_ms ?? 0);
    }
  }
  yield `${JSON.stringify(perFile, null, 2)}\n`;
}
