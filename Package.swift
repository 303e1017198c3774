// swift-tools-version:6.0
import PackageDescription

/// The numeric modules are optimized in debug builds too: the test suite trains small models, runs
/// `selftest` and reads the demo through the debug binary, 3–10× slower unoptimized. Assertions
/// (`precondition`) and overflow checks stay on with -O.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    // Linux only (Debian/Ubuntu): the OpenCL, OpenBLAS, libpng and libjpeg packages below are apt's; no
    // platform is claimed because no other has been built.
    name: "LetterNet",
    products: [
        .executable(name: "letternet", targets: ["letternet"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "NeuralNetOpenCL", targets: ["NeuralNetOpenCL"]),
        .library(name: "LetterFormats", targets: ["LetterFormats"]),
        .library(name: "Letters", targets: ["Letters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // The runtime library only (the ONNX messages are generated once, see Scripts/generate_onnx_proto.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries: the OpenCL ICD loader and OpenBLAS's cblas interface. Each names its pkg-config
        // module and its apt package, so a missing one is reported with the package to install.
        .systemLibrary(name: "COpenCL", path: "Sources/COpenCL", pkgConfig: "OpenCL",
                       providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // libpng and libjpeg, to read strips from PNG and JPEG images (and write the reports' PNGs).
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),

        // The CPU backend's GEMM: an AVX-512 micro-kernel in C, chosen at run time (OpenBLAS otherwise).
        // Optimized in debug builds too, or the test suite's trainings would crawl.
        .target(name: "CGemm", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // Whole files in and out: capped reads (pipes too) and atomic writes. Shared by the core and the formats.
        .target(name: "FileIO"),
        // Generic neural-network core: tensors, layers, losses, optimizers, the Backend protocol and CPUBackend.
        .target(name: "NeuralNet", dependencies: ["FileIO", "CBLAS", "CGemm"], swiftSettings: optimizedInDebug),
        // OpenCLBackend: hand-written kernels from the top-level Kernels/ folder.
        .target(name: "NeuralNetOpenCL", dependencies: ["NeuralNet", "COpenCL"], swiftSettings: optimizedInDebug),
        // The op-case table (every Backend op on awkward shapes) and the checks it drives: a backend
        // against the CPU op by op, one training step across backends (OpenCL tests, `letternet selftest`).
        .target(name: "BackendChecks", dependencies: ["NeuralNet", "NeuralNetOpenCL"], swiftSettings: optimizedInDebug),
        // The letters' file formats (npy, npz, idx, PNG and JPEG, prediction.csv, labels files), the registry
        // that recognises them, and LettersError. No neural core: the fuzz targets build on it without OpenBLAS.
        .target(name: "LetterFormats", dependencies: [
            "FileIO", "CPNG", "CJPEG",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The letters domain: datasets, augmentation, the classifier, strips, reports, demo letters.
        .target(name: "Letters", dependencies: ["LetterFormats", "NeuralNet"], swiftSettings: optimizedInDebug),
        // A network's layer specs and tensors as an ONNX graph (messages generated from onnx.proto).
        .target(name: "ONNXExport", dependencies: [
            "NeuralNet",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // Thin command-line interface.
        .executableTarget(name: "letternet", dependencies: [
            "FileIO", "NeuralNet", "NeuralNetOpenCL", "BackendChecks", "LetterFormats", "Letters", "ONNXExport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "NeuralNetTests", dependencies: ["FileIO", "NeuralNet"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OpenCLTests", dependencies: ["NeuralNet", "NeuralNetOpenCL", "BackendChecks", "Letters"]),
        .testTarget(name: "LettersTests", dependencies: ["LetterFormats", "Letters", "FileIO", "NeuralNet", "CJPEG"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LetterNetCLITests", dependencies: ["LetterFormats", "Letters", "NeuralNet"]),
        .testTarget(name: "ONNXExportTests", dependencies: ["ONNXExport", "NeuralNet"]),
    ],
    // Swift 5 mode: the numeric kernels share raw buffers across worker threads by design.
    swiftLanguageModes: [.v5]
)
