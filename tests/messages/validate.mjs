// Validates a Cucumber Messages stream (NDJSON) against the JSON schema of the
// @cucumber/messages package installed beside it, with ajv (draft 2020-12): every line must be
// one valid envelope. Prints each invalid line with what is wrong, and exits 1 if there is one.
//
//   node tests/messages/validate.mjs <node_modules> <stream.ndjson>
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const [modules, stream] = process.argv.slice(2).map((a) => path.resolve(a))
const require = createRequire(path.join(modules, 'noop.js'))
const Ajv2020 = require('ajv/dist/2020').default
const schemaFile = path.join(modules, '@cucumber/messages/messages.schema.json')
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'))
const ajv = new Ajv2020({ allErrors: true, strict: false })
const validate = ajv.compile(schema)

const lines = fs.readFileSync(stream, 'utf8').split('\n').filter((l) => l.length > 0)
let invalid = 0
lines.forEach((line, i) => {
  let envelope
  try {
    envelope = JSON.parse(line)
  } catch (e) {
    invalid++
    console.log(`line ${i + 1}: not JSON: ${e.message}`)
    return
  }
  if (!validate(envelope)) {
    invalid++
    const kind = Object.keys(envelope).join(',')
    console.log(`line ${i + 1} (${kind}): ${ajv.errorsText(validate.errors, { separator: '; ' })}`)
  }
})
console.log(`${lines.length} envelopes, ${invalid} invalid, against ${schemaFile} (${schema.$id})`)
process.exit(invalid === 0 && lines.length > 0 ? 0 : 1)
