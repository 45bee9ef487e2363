// The parts of autocannon's result the benchmark reads (the package ships no types).
declare module 'autocannon' {
  interface Result {
    requests: { average: number }
    latency: { p99: number; average: number }
    non2xx: number
  }
  function autocannon(opts: {
    url: string
    connections: number
    duration: number
    headers?: Record<string, string>
  }): Promise<Result>
  export default autocannon
}
