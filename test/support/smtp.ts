/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps every delivered message, parsed. */
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface TestSmtp {
  url: string
  port: number
  messages: ParsedMail[]
  /** Stops listening (an outage); start() listens on the same port again. */
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: ParsedMail[] = []
  let server: SMTPServer
  let bound = port
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => (messages.push(mail), callback()), callback)
      },
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(bound, '127.0.0.1', () => resolve())
    })
    bound = (server.server.address() as { port: number }).port
  }
  await start()
  return {
    get url() {
      return `smtp://127.0.0.1:${bound}`
    },
    get port() {
      return bound
    },
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start,
  }
}
