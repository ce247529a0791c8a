// The part of the WebAssembly JS API that deeprelax uses. TypeScript ships these types only with
// the DOM and WebWorker libs, which would also declare browser globals that do not exist in Node.
declare namespace WebAssembly {
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  interface Memory { readonly buffer: ArrayBuffer | SharedArrayBuffer; grow(delta: number): number }
  var Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };
  interface Module {}
  var Module: { prototype: Module; new (bytes: ArrayBufferView | ArrayBuffer): Module };
  interface Instance { readonly exports: Record<string, unknown> }
  var Instance: { prototype: Instance; new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance };
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
