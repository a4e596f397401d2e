/** The output sets the fault tests publish: every file says which set it belongs to. */
'use strict';
const FILES = ['report.md', 'report.docx', 'report.xlsx', 'report.pdf', 'audit.md'];
function setFiles(name, size = 2000) {
  return FILES.map((file) => ({ file, data: Buffer.from(`${name}:${file}:`.padEnd(size, name[0])) }));
}
module.exports = { FILES, setFiles };
