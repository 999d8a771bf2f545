// Renders a Cucumber Messages stream (NDJSON) into a standalone HTML page with
// @cucumber/html-formatter's CucumberHtmlStream, given the formatter's CSS and JS from its dist.
//
//   node tests/messages/render.mjs <node_modules> <stream.ndjson> <page.html>
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'

const [modules, stream, page] = process.argv.slice(2)
const formatter = path.join(modules, '@cucumber/html-formatter')
const { CucumberHtmlStream } = await import(pathToFileURL(path.join(formatter, 'dist/src/index.js')))
const envelopes = fs
  .readFileSync(stream, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l))
await pipeline(
  Readable.from(envelopes),
  new CucumberHtmlStream(path.join(formatter, 'dist/main.css'), path.join(formatter, 'dist/main.js')),
  fs.createWriteStream(page),
)
