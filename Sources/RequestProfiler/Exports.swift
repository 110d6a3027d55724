@_exported import ProfileModel
@_exported import ProfileReports
