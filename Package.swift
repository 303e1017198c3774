// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LetterNet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "letternet", targets: ["letternet"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "NeuralNetOpenCL", targets: ["NeuralNetOpenCL"]),
        .library(name: "Letters", targets: ["Letters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries: the OpenCL ICD loader and OpenBLAS's cblas interface.
        .systemLibrary(name: "COpenCL", path: "Sources/COpenCL"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // libpng and libjpeg, to read strips from PNG and JPEG images.
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),

        // The CPU backend's GEMM: an AVX-512 micro-kernel in C, chosen at run time (OpenBLAS otherwise).
        // Optimized in debug builds too, or the test suite's trainings would crawl.
        .target(name: "CGemm", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // Generic neural-network core: tensors, layers, losses, optimizers, the Backend protocol and CPUBackend.
        .target(name: "NeuralNet", dependencies: ["CBLAS", "CGemm"]),
        // OpenCLBackend: hand-written kernels from the top-level Kernels/ folder.
        .target(name: "NeuralNetOpenCL", dependencies: ["NeuralNet", "COpenCL"]),
        // The letters domain: file formats (images too), datasets, augmentation, strips, CSV.
        .target(name: "Letters", dependencies: [
            "NeuralNet", "CPNG", "CJPEG",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Thin command-line interface.
        .executableTarget(name: "letternet", dependencies: [
            "NeuralNet", "NeuralNetOpenCL", "Letters",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OpenCLTests", dependencies: ["NeuralNet", "NeuralNetOpenCL", "Letters"]),
        .testTarget(name: "LettersTests", dependencies: ["Letters", "NeuralNet", "CJPEG"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LetterNetCLITests", dependencies: ["Letters", "NeuralNet"]),
    ],
    // Swift 5 mode: the numeric kernels share raw buffers across worker threads by design.
    swiftLanguageModes: [.v5]
)
