"""A letternet ONNX graph (`letternet export`) as a torch.nn.Sequential, with torch and onnx only.

letternet's graphs are one chain of nodes: the input normalization (Clip, Div, Sub, Div), then Conv,
BatchNormalization, Relu, MaxPool, Flatten and Gemm nodes, then a Softmax; a residual block (--arch
resnet) adds its two branches with an Add node. Each node becomes the matching torch.nn module
holding the graph's initializers as its weights; the Softmax is left off, so the model gives the
logits (apply .softmax(1) for the probabilities). A chain becomes a torch.nn.Sequential, a graph with
residual blocks a `Graph` module that runs the nodes in order. Copy this file beside your code.

    from onnx_to_torch import sequential
    model = sequential("letters.onnx")          # eval mode
    probs = model(torch.from_numpy(pixels)).softmax(1)
"""
import onnx
import torch
from onnx import helper, numpy_helper


class Elementwise(torch.nn.Module):
    """x ∘ constant for the normalization's Div and Sub nodes."""

    def __init__(self, op, constant):
        super().__init__()
        self.op = op
        self.register_buffer("constant", constant)

    def forward(self, x):
        return x / self.constant if self.op == "Div" else x - self.constant


class Add(torch.nn.Module):
    """A residual block's sum of its two branches."""

    def forward(self, a, b):
        return a + b


class Graph(torch.nn.Module):
    """The nodes in graph order, each reading the values its inputs name (for residual blocks)."""

    def __init__(self, graph, nodes, tensors):
        super().__init__()
        self.input = graph.input[0].name
        self.wiring = [(list(n.input[:2]) if n.op_type == "Add" else [n.input[0]], n.output[0]) for n in nodes]
        self.nodes = torch.nn.ModuleList(module(n, tensors) for n in nodes)

    def forward(self, x):
        values = {self.input: x}
        for (inputs, output), m in zip(self.wiring, self.nodes):
            values[output] = m(*[values[name] for name in inputs])
        return values[self.wiring[-1][1]]


def module(node, tensors):
    a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
    p = [tensors[name] for name in node.input[1:] if name in tensors]  # an Add's second input is a value
    op = node.op_type
    if op == "Conv":
        m = torch.nn.Conv2d(p[0].shape[1], p[0].shape[0], a["kernel_shape"], a["strides"], a["pads"][:2])
    elif op == "BatchNormalization":
        m = torch.nn.BatchNorm2d(p[0].numel(), eps=a["epsilon"])
        m.running_mean.copy_(p[2]), m.running_var.copy_(p[3])
        p = p[:2]
    elif op == "Gemm":
        m = torch.nn.Linear(p[0].shape[1], p[0].shape[0])
    elif op == "Clip":
        return torch.nn.Hardtanh(float(p[0]), float(p[1]))
    elif op in ("Div", "Sub"):
        return Elementwise(op, p[0])
    elif op == "MaxPool":
        return torch.nn.MaxPool2d(a["kernel_shape"], a["strides"])
    elif op == "Add":
        return Add()
    elif op in ("Relu", "Flatten", "Identity"):
        return {"Relu": torch.nn.ReLU(), "Flatten": torch.nn.Flatten(a.get("axis", 1)), "Identity": torch.nn.Identity()}[op]
    else:
        raise ValueError(f"{node.name}: {op} is not a letternet layer")
    with torch.no_grad():
        for parameter, value in zip(m.parameters(), p):
            parameter.copy_(value)
    return m


def sequential(path):
    """The graph at `path` up to its logits in eval mode: a torch.nn.Sequential, or a `Graph` where
    residual blocks branch."""
    graph = onnx.load(path).graph
    tensors = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    nodes = [n for n in graph.node if n.op_type != "Softmax"]
    if any(n.op_type == "Add" for n in nodes):
        return Graph(graph, nodes, tensors).eval()
    return torch.nn.Sequential(*[module(n, tensors) for n in nodes]).eval()
