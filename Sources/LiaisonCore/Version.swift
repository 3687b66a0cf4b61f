public enum LiaisonCoreVersion { public static let value = "0.1.0" }
