/**
 * The paper's MNIST networks (pratikac/hamilton-jacobi, code/models.py), layer for layer.
 * @see ../../docs/networks.md
 */
import { batchNorm } from './batch-norm.js';
import { conv2d } from './conv2d.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';
import { maxPool } from './max-pool.js';
import { sequential, type Network, type NetworkOptions } from './network.js';
import { relu } from './relu.js';

/**
 * mnistfc: Dropout(0.2) → Linear(784,1024) → ReLU → BN(1024) → Dropout(0.2) → Linear(1024,1024)
 * → ReLU → Dropout(0.2) → BN(1024) → Linear(1024,10); 1,867,786 parameters.
 * @example const net = mnistfc({ seed: 42 }); net.paramCount // 1867786
 */
export function mnistfc(options: NetworkOptions = {}): Network {
  const p = 0.2;
  return sequential([1, 28, 28], [
    dropout(p), linear(1024), relu(), batchNorm(), dropout(p),
    linear(1024), relu(), dropout(p), batchNorm(), linear(10),
  ], options);
}

/**
 * LeNet: Conv(1→20, 5×5) → ReLU → MaxPool(3) → BN(20) → Dropout(0.25) → Conv(20→50, 5×5) → ReLU
 * → MaxPool(2) → BN(50) → Dropout(0.25) → Linear(200,500) → ReLU → Dropout(0.25) → Linear(500,10);
 * 131,220 parameters.
 * @example const net = lenet({ seed: 42 }); net.paramCount // 131220
 */
export function lenet(options: NetworkOptions = {}): Network {
  const p = 0.25;
  return sequential([1, 28, 28], [
    conv2d({ channels: 20, kernel: 5 }), relu(), maxPool(3), batchNorm(), dropout(p),
    conv2d({ channels: 50, kernel: 5 }), relu(), maxPool(2), batchNorm(), dropout(p),
    linear(500), relu(), dropout(p), linear(10),
  ], options);
}
