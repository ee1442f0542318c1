/** A real DNS server (dns2) on 127.0.0.1 answering TXT questions from a zone the test edits. */
import dns2 from 'dns2'

const NXDOMAIN = 3

export interface TestDns {
  /** host:port, as DNS_SERVER would name it. */
  server: string
  txt: Map<string, string[]>
  questions: string[]
  close(): Promise<void>
}

export async function startDns(): Promise<TestDns> {
  const txt = new Map<string, string[]>()
  const questions: string[] = []
  const { Packet } = dns2
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request)
      const [question] = request.questions
      const name = question!.name.toLowerCase()
      questions.push(name)
      const values = txt.get(name)
      if (!values) response.header.rcode = NXDOMAIN
      // dns2's typings lag its encoder, which takes plain resource objects.
      else for (const data of values) response.answers.push({ name: question!.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data } as unknown as dns2.Packet.Resource)
      send(response)
    },
  })
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } })
  return { server: `127.0.0.1:${addresses.udp!.port}`, txt, questions, close: () => server.close() }
}
